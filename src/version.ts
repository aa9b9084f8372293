/** The release version, kept equal to package.json's by a test (the bundles do not read package.json). */
export const VERSION = '0.1.0';
/**
 * The project's canonical home: SARIF `informationUri` and the default rule-doc links. package.json's
 * `homepage` and `repository` state the same URL (a test checks it); the action links to the repository
 * it actually runs from (GITHUB_ACTION_REPOSITORY) instead.
 */
export const HOMEPAGE = 'https://github.com/portcullis-dev/portcullis';
