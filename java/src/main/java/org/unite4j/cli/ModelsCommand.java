package org.unite4j.cli;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.unite4j.io.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code unite models}: the shipped models ({@link ShippedModels}) with what they predict and how well. */
@Command(name = "models", mixinStandardHelpOptions = true,
        description = "List the trained models that ship with unite4j (use one with --model NAME).")
public final class ModelsCommand implements Callable<Integer> {
    @Option(names = "--json", description = "Print every model's card as JSON.")
    boolean json;

    @Override
    public Integer call() throws IOException {
        List<ShippedModels.Entry> all = ShippedModels.list();
        if (json) {
            List<Object> cards = new ArrayList<>();
            for (ShippedModels.Entry e : all) {
                Map<String, Object> c = new LinkedHashMap<>(e.card());
                c.put("path", e.dir().toString());
                cards.add(c);
            }
            System.out.println(Json.writePretty(Map.of("models", cards)));
            return 0;
        }
        if (all.isEmpty()) {
            System.out.println("no shipped models found" + (ShippedModels.root() == null ? " (run through the ./unite launcher)"
                    : " in " + ShippedModels.root()));
            return 0;
        }
        for (ShippedModels.Entry e : all) {
            Map<String, Object> c = e.card();
            List<?> atoms = (List<?>) c.get("atoms");
            System.out.printf(Locale.ROOT, "%s%n  predicts:      %s%n  unit:          %s%s%n  elements:      %s; %s-%s atoms; %s%n"
                            + "  test MAE:      %s %s (RMSE %s) on %s%n  trained on:    %s%n  made by:       %s%n  use it for:    %s%n",
                    e.name(), c.get("predicts"), c.get("energy_unit"), c.get("dipole") == null ? "" : ", dipole in " + c.get("dipole"),
                    String.join(" ", ((List<?>) c.get("elements")).stream().map(String::valueOf).toList()), atoms.get(0), atoms.get(1),
                    c.get("charge"), c.get("test_mae"), c.get("energy_unit"), c.get("test_rmse"), c.get("test_set"), c.get("training_data"),
                    c.get("command"), c.get("applicability"));
            if (c.get("other_results") instanceof Map<?, ?> other)
                for (Map.Entry<?, ?> o : other.entrySet()) System.out.printf(Locale.ROOT, "  %s: %s%n", o.getKey(), o.getValue());
            System.out.println();
        }
        System.out.println("use one: ./unite predict --model NAME --data FILE");
        return 0;
    }
}
