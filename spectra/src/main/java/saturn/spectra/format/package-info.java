/** On-disk format of the spectrum artifact: an Arrow IPC table plus a CSV copy. */
package saturn.spectra.format;
