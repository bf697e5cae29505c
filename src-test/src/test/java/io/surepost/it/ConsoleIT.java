package io.surepost.it;

import static io.surepost.it.Surepost.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.surepost.it.ControllableBackend.Answer;
import io.surepost.it.Surepost.Login;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.as.arquillian.api.ServerSetup;
import org.jboss.as.arquillian.container.ManagementClient;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.ElementClickInterceptedException;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console at /surepost/ in a real browser (headless Chromium): an operator logs in, sees
 * a dead letter appear, retries it and sees it delivered, deactivates and activates the
 * processor, and finds a message's journey by its id.
 */
@ExtendWith(ArquillianExtension.class)
@ServerSetup(AdminUsers.class)
class ConsoleIT {

    private static final String P = "surepost.forwarding.";
    private static final List<String> PROPERTIES = List.of("target.endpoint", "max.delivery.attempts", "max.delivery.drop");

    private static final URI CONSOLE = URI.create("http://localhost:8080/surepost/");

    @RegisterExtension
    static final ControllableBackend backend = ControllableBackend.forTheTestClass();
    private static ChromeDriver browser;

    @ArquillianResource
    private ManagementClient management;

    @Deployment(testable = false)
    static EnterpriseArchive deployment() {
        return Surepost.ear();
    }

    @BeforeAll
    static void startTheBrowser() {
        browser = Browser.start();
    }

    @AfterAll
    static void stopTheBrowser() {
        browser.quit();
    }

    @BeforeEach
    void logInToTheConsole() {
        eventually().until(() -> Broker.messageCount(Broker.ORIGINAL) == 0);
        Management.setProperty(management, P + "target.endpoint", ControllableBackend.ENDPOINT.toString());
        // The browser's own login for this page: HTTP Basic, the credentials in the address
        String user = URLEncoder.encode(Login.ADMIN.user(), StandardCharsets.UTF_8);
        String password = URLEncoder.encode(Login.ADMIN.password(), StandardCharsets.UTF_8);
        browser.get("http://" + user + ":" + password + "@localhost:8080/surepost/");
        waitFor().until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#stores tr[data-store='failover']")));
    }

    @AfterEach
    void restoreTheDefaults() {
        PROPERTIES.forEach(name -> Management.removeProperty(management, P + name));
        Surepost.api("POST", "/processors/ForwardingProcessor/activate", Login.ADMIN, null);
        Management.ensureForwardingActive(management);
    }

    @Test
    void withoutALoginThePageIsRefused() throws Exception {
        java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        for (String page : List.of("", "console.js", "index.html")) {
            java.net.http.HttpResponse<Void> answer = http.send(java.net.http.HttpRequest.newBuilder(CONSOLE.resolve(page))
                    .timeout(Duration.ofSeconds(30)).build(), java.net.http.HttpResponse.BodyHandlers.discarding());
            assertEquals(401, answer.statusCode(), page);
        }
    }

    @Test
    void anOperatorSeesTheStoresWithTheirDepths() {
        String depth = waitFor().until(d -> text("#stores tr[data-store='failover'] .depth"));

        assertEquals("0", depth);
        assertTrue(browser.findElements(By.cssSelector("#stores tr[data-store='Original']")).size() == 1);
    }

    @Test
    void anOperatorSeesADeadLetterAppearRetriesItAndSeesItDelivered() {
        Management.setProperty(management, P + "max.delivery.attempts", "1");
        Management.setProperty(management, P + "max.delivery.drop", "Enabled");
        backend.answer(any -> Answer.status(500));
        String id = Surepost.accept();
        String row = "#dead-letters tr[data-message-id='" + id + "']";

        waitFor().until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(row)));
        backend.answer(any -> Answer.OK);
        click(row + " button.retry");
        waitFor().until(ExpectedConditions.alertIsPresent()).accept();

        waitFor().until(ExpectedConditions.numberOfElementsToBe(By.cssSelector(row), 0));
        eventually().until(() -> backend.calls(id).stream().anyMatch(call -> call.status() == 200));
        findJourney(id);
        waitFor().until(d -> "delivered".equals(attribute("#journey-end", "data-state")) || retryFind(id));
    }

    @Test
    void anOperatorDeactivatesAndActivatesTheProcessor() {
        String processor = "#processors tr[data-processor='ForwardingProcessor']";

        click(processor + " button.deactivate");
        waitFor().until(d -> text(processor + " .state").startsWith("inactive: deactivated by " + Login.ADMIN.user()));
        assertTrue(Surepost.status().get("forwarding-shared").startsWith("inactive"), "every node follows");

        click(processor + " button.activate");
        waitFor().until(d -> "active".equals(text(processor + " .state")));
        String id = Surepost.accept();
        eventually().until(() -> !backend.calls(id).isEmpty());
    }

    @Test
    void anOperatorFindsAMessagesJourneyByItsId() {
        String id = Surepost.accept();
        eventually().until(() -> !backend.calls(id).isEmpty());

        findJourney(id);

        waitFor().until(d -> "delivered".equals(attribute("#journey-end", "data-state")) || retryFind(id));
        List<String> steps = browser.findElements(By.cssSelector("#journey li.step")).stream().map(WebElement::getText).toList();
        assertTrue(steps.get(0).contains("accepted"), steps::toString);
        assertTrue(steps.stream().anyMatch(step -> step.contains("delivery attempt (HTTP 200)")), steps::toString);
    }

    private static void findJourney(String id) {
        WebElement box = browser.findElement(By.id("journey-id"));
        box.clear();
        box.sendKeys(id);
        browser.findElement(By.id("journey-find")).click();
    }

    /** The journey is written every 250 ms: search again until it is complete. */
    private static boolean retryFind(String id) {
        findJourney(id);
        return false;
    }

    /**
     * Clicks an element the console may redraw meanwhile: its tables refresh every few seconds,
     * and a table that grows or shrinks moves what is below it (a click then meets another element).
     */
    private static void click(String css) {
        waitFor().until(d -> {
            try {
                d.findElement(By.cssSelector(css)).click();
                return true;
            } catch (StaleElementReferenceException | NoSuchElementException | ElementClickInterceptedException e) {
                return false;
            }
        });
    }

    private static String text(String css) {
        try {
            return browser.findElement(By.cssSelector(css)).getText();
        } catch (StaleElementReferenceException | NoSuchElementException e) {
            return "";
        }
    }

    private static String attribute(String css, String name) {
        try {
            return browser.findElement(By.cssSelector(css)).getAttribute(name);
        } catch (StaleElementReferenceException | NoSuchElementException e) {
            return "";
        }
    }

    private static WebDriverWait waitFor() {
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30), Duration.ofMillis(250));
        wait.ignoring(StaleElementReferenceException.class);
        return wait;
    }
}
