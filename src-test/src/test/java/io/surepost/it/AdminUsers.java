package io.surepost.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jboss.as.arquillian.api.ServerSetupTask;
import org.jboss.as.arquillian.container.ManagementClient;

/**
 * A server setup task that makes the two users of the admin API tests, the way an operator
 * does: WildFly's {@code add-user.sh -a} with the role as its group ({@link Surepost.Login#ADMIN}
 * with surepost-admin, {@link Surepost.Login#VIEWER} with surepost-viewer), then the running
 * server's application realm reads its files again. The tear-down takes both out again.
 */
public class AdminUsers implements ServerSetupTask {

    private static final List<String> FILES = List.of("application-users.properties", "application-roles.properties");

    @Override
    public void setup(ManagementClient client, String container) throws Exception {
        removeUsers();
        addUser(Surepost.Login.ADMIN, "surepost-admin");
        addUser(Surepost.Login.VIEWER, "surepost-viewer");
        Management.reloadApplicationRealm(client);
    }

    @Override
    public void tearDown(ManagementClient client, String container) throws Exception {
        removeUsers();
        Management.reloadApplicationRealm(client);
    }

    private static void addUser(Surepost.Login login, String role) throws IOException, InterruptedException {
        Path addUser = Surepost.jbossHome().resolve("bin/add-user.sh");
        Process process = new ProcessBuilder("bash", addUser.toString(), "-a", "-sc", configuration().toString(),
                "-u", login.user(), "-p", login.password(), "-g", role, "-s")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("add-user.sh did not finish within 60 s");
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException("add-user.sh refused " + login.user() + " (exit " + process.exitValue() + ")");
        }
    }

    private static void removeUsers() throws IOException {
        for (String name : FILES) {
            Path file = configuration().resolve(name);
            List<String> kept = Files.readAllLines(file).stream()
                    .filter(line -> !line.startsWith(Surepost.Login.ADMIN.user() + "=") && !line.startsWith(Surepost.Login.VIEWER.user() + "="))
                    .toList();
            Files.write(file, kept);
        }
    }

    private static Path configuration() {
        return Surepost.jbossHome().resolve("standalone/configuration");
    }
}
