// The CommonJS build of web-tree-sitter, loaded through require so that the bundler takes the package's "require"
// export: its ESM build does `await import('module')`, which the bundler turns into a namespace without
// `createRequire`, and the runtime then dies at Parser.init.
module.exports = require('web-tree-sitter');
