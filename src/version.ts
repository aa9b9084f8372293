/** The release version, kept equal to package.json's by a test (the bundles do not read package.json). */
export const VERSION = '0.1.0';
/**
 * The project's public repository, owner/name: the one setting every link to the project is made from. The
 * SARIF `informationUri`, the default rule-doc links, the demo docs and the tests take it from here; package.json
 * (`homepage`, `repository`, `bugs`), the README and the docs must state the same address, and a test checks
 * that they do (test/repository-address.test.ts). Set it to the real address before publishing.
 */
export const REPOSITORY = 'portcullis-dev/portcullis';
/** The project's home page on GitHub. The action links to the repository it actually runs from (GITHUB_ACTION_REPOSITORY) instead. */
export const HOMEPAGE = `https://github.com/${REPOSITORY}`;

/** The folder of rule docs at a ref (a tag such as `v0.1.0`, a branch, a commit). */
export function ruleDocsUrl(ref: string): string {
  return `${HOMEPAGE}/blob/${ref}/docs/rules`;
}
