// Compiled by tsc --noEmit against the installed package: the ESM declarations.
import portfolio, { load, getLoadablePath } from 'sqlite-portfolio';

const path: string = getLoadablePath();
const db = { loadExtension(file: string): void { void file; } };
load(db);
portfolio.load(db);
// @ts-expect-error: load needs an object with loadExtension
load({ prepare() {} });
void path;
