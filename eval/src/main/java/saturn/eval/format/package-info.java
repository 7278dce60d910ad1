/** On-disk formats of the eval stage: column tables as Arrow IPC files (plus a CSV twin) with a versioned schema. */
package saturn.eval.format;
