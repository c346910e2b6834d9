package io.abafix.lab;

import io.abafix.activities.model.AppRegistration;
import io.abafix.activities.model.KeyCredential;
import java.util.ArrayList;
import java.util.List;

/** An app registration in the simulated tenant. Guarded by the {@link LabWorld} lock. */
final class SimApp {
  final String id;
  final String appId;
  final String displayName;
  final List<KeyCredential> keys = new ArrayList<>();

  SimApp(String id, String appId, String displayName) {
    this.id = id;
    this.appId = appId;
    this.displayName = displayName;
  }

  boolean holds(String thumbprint) {
    return thumbprint != null
        && keys.stream().anyMatch(k -> thumbprint.equalsIgnoreCase(k.thumbprint()));
  }

  AppRegistration toRegistration() {
    return new AppRegistration(id, appId, displayName, keys);
  }
}
