package org.unite4j.cli;

import org.unite4j.data.FeatureJacobian;
import picocli.CommandLine.Option;

/** The shared {@code --jacobian auto|analytic|numerical} option: how the forces differentiate the GFN-xTB features. */
public final class JacobianOption {
    @Option(names = "--jacobian", defaultValue = "auto", paramLabel = "KIND", description = "Featurizer Jacobian of the forces: "
            + "auto (default: analytic for GFN1 models when the GFN1 parameter file is installed, else numerical), analytic (the Java "
            + "GFN1-xTB's derivatives: one response solve per molecule), numerical (central differences of 6N libxtb single points).")
    String value;

    /** The parsed kind; a clear error for an unknown word. */
    public FeatureJacobian.Kind kind() {
        return FeatureJacobian.Kind.parse(value);
    }
}
