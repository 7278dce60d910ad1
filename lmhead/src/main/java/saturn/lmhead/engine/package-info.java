/** The only package of lmhead that touches PyTorch-engine specifics (threads, devices, gradient buffers). */
package saturn.lmhead.engine;
