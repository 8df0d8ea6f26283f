package org.unite4j.backend;

/** Element-wise binary functions with NumPy broadcasting: ADD a+b, SUB a-b, MUL a*b, DIV a/b. */
public enum BinaryOp {
    ADD, SUB, MUL, DIV;

    public double apply(double a, double b) {
        return switch (this) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> a / b;
        };
    }
}
