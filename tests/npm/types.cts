// Compiled by tsc --noEmit against the installed package: the CommonJS declarations.
import portfolio = require('sqlite-portfolio');

const path: string = portfolio.getLoadablePath();
portfolio.load({ loadExtension(file: string): void { void file; } });
// @ts-expect-error: getLoadablePath takes no argument
portfolio.getLoadablePath('x');
void path;
