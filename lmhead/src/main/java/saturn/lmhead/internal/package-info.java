/** lmhead internals: window sampling, metric tables (Arrow + CSV), parallel ranges for the CPU kernels. */
package saturn.lmhead.internal;
