/** The spectra stage: top-k singular values of the n-gram target matrix W and its W-error curve (methods.md §1.2). */
package saturn.spectra;
