import type Database from 'better-sqlite3';

/** The database handle the rest of costbench uses. */
export type Db = Database.Database;
