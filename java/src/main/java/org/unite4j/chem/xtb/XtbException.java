package org.unite4j.chem.xtb;

/**
 * A failure reported by libxtb through its error stack ({@code xtb_getError}), for example an SCF
 * that did not converge. The message holds libxtb's own text.
 */
public class XtbException extends IllegalStateException {
    public XtbException(String message) {
        super(message);
    }
}
