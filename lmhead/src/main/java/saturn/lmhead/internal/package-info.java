/** lmhead internals: window sampling, metric tables (Arrow + CSV). */
package saturn.lmhead.internal;
