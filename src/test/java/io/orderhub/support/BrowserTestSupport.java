package io.orderhub.support;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The shared hub plus one headless Chromium per test class, signed in through the console's own page. */
public abstract class BrowserTestSupport extends HubTestSupport {

    protected static Browser browser;

    @BeforeAll
    static void openBrowser() throws Exception {
        browser = new Browser();
    }

    @AfterAll
    static void closeBrowser() {
        if (browser != null) {
            browser.close();
            browser = null;
        }
    }

    protected String base() {
        return "http://127.0.0.1:" + port;
    }

    protected void signInOps() {
        browser.signIn(base(), "ops", "test-operator-pass", freshOpsCode());
    }
}
