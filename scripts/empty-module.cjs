// Stands in for the 'source-map' package in the bundle. Handlebars' code generator uses it only
// when present and falls back to plain strings otherwise; it is ~100 KB the cold start need not parse.
module.exports = {};
