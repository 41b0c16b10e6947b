/**
 * What the bundle tests' exporter writes and accepts: the schema version is pinned on purpose, so a
 * new migration fails these tests until it is named here (and the bundle's tables are checked).
 */
export const TEST_BUNDLE_LIMITS = { formatVersion: 1, schemaVersion: 20, costbenchVersion: 'test' };
