package io.orderhub.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * After the whole test suite ({@code mvn verify} runs it in a failsafe execution of its own, bound to the verify
 * phase, after the crash drill): no card number in what the test runs left behind, the H2 database files and
 * Artemis journal, paging and large-message folders of every test hub ({@code target/test-data},
 * {@code target/crash-drill}), the crash drill's hub logs, and the tests' redirected output (surefire's and
 * failsafe's {@code *-output.txt}). Tests such as CardNumberMaskerTest send card numbers through the hub on
 * purpose: this proves they were masked before anything was stored or logged.
 * <p>
 * What is scanned: {@code orderhub.scan.data-dirs} (every file in those folders, or the file itself: the drills' own
 * log, target/drills.log) and {@code orderhub.scan.log-dirs} (files ending
 * in {@code orderhub.scan.log-suffixes}), comma-separated, set in pom.xml.
 */
class CardNumberScanIT {

    @Test
    void noCardNumberInTheDatabaseBrokerJournalOrLogs() throws Exception {
        List<Path> dataDirs = paths("orderhub.scan.data-dirs", "target/test-data,target/crash-drill,target/drills.log");
        List<Path> logDirs = paths("orderhub.scan.log-dirs", "target/surefire-reports,target/failsafe-reports");
        List<String> suffixes = List.of(System.getProperty("orderhub.scan.log-suffixes", "-output.txt,.log")
                .split(","));
        Predicate<Path> logFile = p -> suffixes.stream().anyMatch(s -> p.getFileName().toString().endsWith(s.trim()));

        long files = count(dataDirs, p -> true) + count(logDirs, logFile);
        assertThat(files).as("files to scan under " + dataDirs + " and " + logDirs
                + " (run the tests first: this scan checks what they left behind)").isPositive();

        List<CardNumberScan.Finding> findings = new java.util.ArrayList<>(CardNumberScan.scan(dataDirs, p -> true));
        findings.addAll(CardNumberScan.scan(logDirs, logFile));
        System.out.println("card-number scan: " + files + " files, " + findings.size() + " finding(s)");
        assertThat(findings).as("card numbers stored or logged unmasked (file @ byte offset (encoding): masked "
                + "number)").isEmpty();
    }

    private static List<Path> paths(String property, String fallback) {
        return Arrays.stream(System.getProperty(property, fallback).split(",")).map(String::trim)
                .filter(s -> !s.isEmpty()).map(Path::of).toList();
    }

    private static long count(List<Path> roots, Predicate<Path> which) throws Exception {
        long n = 0;
        for (Path root : roots) {
            if (Files.isRegularFile(root) && which.test(root)) {
                n++;
            } else if (Files.isDirectory(root)) {
                try (var s = Files.walk(root)) {
                    n += s.filter(Files::isRegularFile).filter(which).count();
                }
            }
        }
        return n;
    }
}
