package org.unite4j.util;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.*;

class ProgressTest {

    static final long MS = 1_000_000L;

    @Test
    void plainModeThrottlesLinesAndReportsRateEtaAndSuffix() {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        AtomicLong clock = new AtomicLong(0);
        try (Progress p = new Progress("epoch 1/3", 1000, new PrintStream(bos, true, StandardCharsets.UTF_8), Progress.Mode.PLAIN, 1000, clock::get)) {
            for (int i = 0; i < 1000; i++) {
                clock.addAndGet(10 * MS); // 100 it/s for 10 s
                p.step();
                if (i == 499) p.setSuffix("loss 0.123 val MAE 1.23 kcal/mol");
            }
        }
        String[] lines = bos.toString(StandardCharsets.UTF_8).split("\n");
        // 10 s at one line per second at most, plus the final line
        assertTrue(lines.length >= 9 && lines.length <= 11, lines.length + " lines:\n" + String.join("\n", lines));
        assertFalse(bos.toString(StandardCharsets.UTF_8).contains("\r"), "no carriage returns in plain mode");
        String first = lines[0];
        assertTrue(first.startsWith("epoch 1/3  ["), first);
        assertTrue(first.contains(" 100/1000") && first.contains("10.0%") && first.contains("100.0 it/s") && first.contains("ETA 0:09"), first);
        String last = lines[lines.length - 1];
        assertTrue(last.contains("1000/1000") && last.contains("100.0%") && last.contains("0:10"), last);
        assertTrue(last.endsWith("loss 0.123 val MAE 1.23 kcal/mol"), last);
        assertTrue(last.contains("[====================]"), last);
    }

    @Test
    void terminalModeRedrawsInPlaceAtMostFiveTimesPerSecond() {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        AtomicLong clock = new AtomicLong(0);
        Progress p = new Progress("", 0, new PrintStream(bos, true, StandardCharsets.UTF_8), Progress.Mode.TERMINAL, 0, clock::get);
        for (int i = 0; i < 2000; i++) {
            clock.addAndGet(MS); // 2 s total
            p.step();
        }
        p.close();
        p.close(); // idempotent
        String s = bos.toString(StandardCharsets.UTF_8);
        long redraws = s.chars().filter(c -> c == '\r').count();
        assertTrue(redraws >= 9 && redraws <= 11, redraws + " redraws in 2 s");
        assertEquals(1, s.split(System.lineSeparator(), -1).length - 1, "one newline, at close");
        assertTrue(s.contains("2000  1000.0 it/s  0:02"), s);
    }

    @Test
    void messagesDoNotTearTheBar() {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        AtomicLong clock = new AtomicLong(0);
        Progress p = new Progress("train", 10, new PrintStream(bos, true, StandardCharsets.UTF_8), Progress.Mode.TERMINAL, 0, clock::get);
        clock.addAndGet(1000 * MS);
        p.step(5); // draws the bar
        p.println("epoch 1: val MAE 2.5 kcal/mol");
        p.close();
        String s = bos.toString(StandardCharsets.UTF_8);
        String[] lines = s.split(System.lineSeparator());
        assertEquals(2, lines.length, s);
        // the message line overwrote the bar completely (blanks over the bar, then the message)
        String msgLine = lines[0].substring(lines[0].lastIndexOf('\r') + 1);
        assertEquals("epoch 1: val MAE 2.5 kcal/mol", msgLine);
        assertTrue(lines[1].contains("5/10"), lines[1]);

        ByteArrayOutputStream plain = new ByteArrayOutputStream();
        Progress q = new Progress("train", 10, new PrintStream(plain, true, StandardCharsets.UTF_8), Progress.Mode.PLAIN, 0, clock::get);
        q.println("hello");
        assertEquals("hello" + System.lineSeparator(), plain.toString(StandardCharsets.UTF_8));
    }

    @Test
    void concurrentStepsAreAllCounted() throws InterruptedException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        Progress p = new Progress("x", 80_000, new PrintStream(bos, true, StandardCharsets.UTF_8), Progress.Mode.PLAIN, 0, System::nanoTime);
        Thread[] ts = new Thread[8];
        for (int t = 0; t < ts.length; t++) {
            ts[t] = new Thread(() -> {
                for (int i = 0; i < 10_000; i++) p.step();
            });
            ts[t].start();
        }
        for (Thread t : ts) t.join();
        p.close();
        assertEquals(80_000, p.count());
        String[] lines = bos.toString(StandardCharsets.UTF_8).split("\n");
        for (String l : lines) assertTrue(l.startsWith("x  [") && l.contains("/80000"), "no interleaved output: " + l);
        assertTrue(lines[lines.length - 1].contains("80000/80000"), lines[lines.length - 1]);
    }

    @Test
    void offModePrintsNothingAndFormatsDurations() {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (Progress p = new Progress("x", 10, new PrintStream(bos), Progress.Mode.OFF, 0, System::nanoTime)) {
            p.step(10);
        }
        assertEquals(0, bos.size());
        assertEquals("1:01:05", Progress.formatDuration(3665));
        assertEquals("0:59", Progress.formatDuration(59.4));
        assertEquals("--:--", Progress.formatDuration(Double.POSITIVE_INFINITY));
        assertEquals("2.0 s/it", Progress.formatRate(0.5));
        assertNotEquals(Progress.Mode.AUTO, Progress.detectMode());
    }
}
