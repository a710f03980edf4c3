// The ES module entry: the same two functions as the CommonJS entry, not a second copy.
import portfolio from './index.cjs';

export const { load, getLoadablePath } = portfolio;
export default portfolio;
