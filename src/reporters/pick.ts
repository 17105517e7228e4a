/** `pick` ends exactly like `new`: the same summary of what was written. */
export { render, diagnostics } from './new.js';
