/** A database whose extensions can be loaded: better-sqlite3's Database, or any driver's. */
export interface ExtensionLoadingDatabase {
  loadExtension(path: string, ...rest: unknown[]): unknown;
}

/** Loads the portfolio extension into db (db.loadExtension(getLoadablePath())). */
export declare function load(db: ExtensionLoadingDatabase): void;

/**
 * Full path of this platform's library (suffix included); throws an Error when the platform
 * package sqlite-portfolio-<platform>-<arch> is not installed.
 */
export declare function getLoadablePath(): string;

declare const portfolio: { load: typeof load; getLoadablePath: typeof getLoadablePath };
export default portfolio;
