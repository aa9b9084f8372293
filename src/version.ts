/** The release version, kept equal to package.json's by a test (the bundles do not read package.json). */
export const VERSION = '0.1.0';
