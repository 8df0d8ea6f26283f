package org.unite4j.serve;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.unite4j.backend.DType;
import org.unite4j.chem.Molecule;
import org.unite4j.chem.xtb.XtbEnvironment;
import org.unite4j.io.Json;
import org.unite4j.model.Calculator;
import org.unite4j.model.ModelStepFixture;
import org.unite4j.model.UniteModel;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.*;

/** The HTTP prediction server: answers equal the Calculator's, bad requests are 4xx and the server keeps running. */
class PredictionServerTest {
    static UniteModel model;
    static PredictionServer server;
    static final HttpClient CLIENT = HttpClient.newHttpClient();
    static final String WATER_JSON = """
            {"molecules":[{"symbols":["O","H","H"],"positions":[[0,0,0.11779],[0,0.755453,-0.471161],[0,-0.755453,-0.471161]],
             "charge":0,"name":"water"}]}""";

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeTrue(XtbEnvironment.isAvailable(), () -> "libxtb not available: " + XtbEnvironment.availabilityProblem().orElse(""));
        model = new UniteModel(ModelStepFixture.config(DType.FLOAT64), ModelStepFixture.heads(), 11);
        for (var e : ModelStepFixture.initialWeights().entrySet()) model.setParameter(e.getKey(), e.getValue());
        server = new PredictionServer(model, "127.0.0.1", 0, 4, new PredictionServer.Limits(4096, 100, 50));
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    record Answer(int status, Map<String, Object> body) {
    }

    static Answer send(String method, String path, String contentType, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path));
        if (contentType != null) b.header("Content-Type", contentType);
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> r = CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), Json.parseObject(r.body().strip(), "response"));
    }

    static Molecule water() {
        return new Molecule(new int[]{8, 1, 1}, new double[]{0, 0, 0.11779, 0, 0.755453, -0.471161, 0, -0.755453, -0.471161}, 0, 1, "water", null);
    }

    @Test
    @SuppressWarnings("unchecked")
    void predictionsEqualTheCalculatorsWithAndWithoutForces() throws Exception {
        Calculator.Result ref = new Calculator(model).calculate(water(), true);
        Answer a = send("POST", "/predict", "application/json", WATER_JSON);
        assertEquals(200, a.status(), a.body().toString());
        Map<String, Object> m = (Map<String, Object>) ((List<Object>) a.body().get("molecules")).get(0);
        assertEquals("water", m.get("name"));
        assertEquals(ref.energy(), ((Number) m.get("energy")).doubleValue(), 0.0, "same energy, bitwise");
        assertFalse(m.containsKey("forces"));
        Answer f = send("POST", "/predict?forces=true", "application/json", WATER_JSON);
        Map<String, Object> mf = (Map<String, Object>) ((List<Object>) f.body().get("molecules")).get(0);
        List<Object> rows = (List<Object>) mf.get("forces");
        assertEquals(3, rows.size());
        for (int i = 0; i < 3; i++)
            for (int k = 0; k < 3; k++)
                assertEquals(ref.forces()[i][k], ((Number) ((List<Object>) rows.get(i)).get(k)).doubleValue(), 1e-12);
        assertEquals("kcal/mol/A", mf.get("force_unit"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void extxyzBodiesWithSeveralMolecules() throws Exception {
        String xyz = "3\nname=w1\nO 0 0 0.11779\nH 0 0.755453 -0.471161\nH 0 -0.755453 -0.471161\n"
                + "2\nname=h2\nH 0 0 0\nH 0 0 0.74\n";
        Answer a = send("POST", "/predict", "text/plain", xyz);
        assertEquals(200, a.status(), a.body().toString());
        List<Object> mols = (List<Object>) a.body().get("molecules");
        assertEquals(2, mols.size());
        assertEquals("h2", ((Map<String, Object>) mols.get(1)).get("name"));
    }

    @Test
    void badRequestsAreAnsweredAndTheServerKeepsRunning() throws Exception {
        assertBad(400, send("POST", "/predict", "application/json", "{\"molecules\": [ {"), "request body");
        assertBad(400, send("POST", "/predict", "application/json",
                "{\"molecules\":[{\"symbols\":[\"O\",\"Xx\"],\"positions\":[[0,0,0],[0,0,1]]}]}"), "molecule 0, atom 1");
        assertBad(400, send("POST", "/predict", "application/json",
                "{\"molecules\":[{\"symbols\":[\"O\"],\"positions\":[[0,0,0],[0,0,1]]}]}"), "1 symbols but 2 positions");
        assertBad(400, send("POST", "/predict", "text/plain", "2\n\nH 0 0 0\nH 0 0\n"), "request body");
        // S is not among the model's elements (H, C, N, O)
        assertBad(400, send("POST", "/predict", "application/json",
                "{\"molecules\":[{\"symbols\":[\"S\",\"H\",\"H\"],\"positions\":[[0,0,0],[0,0,1.3],[1.3,0,0]]}]}"), "molecule 0");
        assertBad(413, send("POST", "/predict", "text/plain", "x".repeat(5000)), "larger than 4096 bytes");
        assertBad(415, send("POST", "/predict", "image/png", "abc"), "Content-Type");
        assertBad(405, send("GET", "/predict", null, null), "POST");
        assertBad(404, send("GET", "/nothing", null, null), "no such endpoint");
        Answer h = send("GET", "/health", null, null);
        assertEquals(200, h.status());
        assertEquals("ok", h.body().get("status"));
    }

    static void assertBad(int status, Answer a, String fragment) {
        assertEquals(status, a.status(), a.body().toString());
        String msg = String.valueOf(a.body().get("error"));
        assertTrue(msg.contains(fragment), "error '" + msg + "' should mention '" + fragment + "'");
        assertFalse(msg.contains("Exception"), msg);
    }

    @Test
    @SuppressWarnings("unchecked")
    void concurrentRequestsGetTheSameAnswers() throws Exception {
        List<CompletableFuture<HttpResponse<String>>> fs = new ArrayList<>();
        for (int i = 0; i < 8; i++)
            fs.add(CLIENT.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/predict"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(WATER_JSON)).build(),
                    HttpResponse.BodyHandlers.ofString()));
        Double first = null;
        for (var f : fs) {
            HttpResponse<String> r = f.get();
            assertEquals(200, r.statusCode(), r.body());
            Map<String, Object> m = (Map<String, Object>) ((List<Object>) Json.parseObject(r.body().strip(), "r").get("molecules")).get(0);
            double e = ((Number) m.get("energy")).doubleValue();
            if (first == null) first = e;
            assertEquals(first, e, 0.0);
        }
    }
}
