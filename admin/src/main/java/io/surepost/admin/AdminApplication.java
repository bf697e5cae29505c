package io.surepost.admin;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** The admin API: {@code /surepost/api/...} (the EAR gives this war the context root /surepost). */
@ApplicationPath("/api")
public class AdminApplication extends Application {
}
