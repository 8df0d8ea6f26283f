package org.unite4j.chem.gfn1;

/** A GFN1-xTB calculation that could not finish (e.g. an SCF that did not converge); the message names the molecule. */
public final class Gfn1Exception extends RuntimeException {
    public Gfn1Exception(String message) {
        super(message);
    }
}
