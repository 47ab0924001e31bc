package com.llmchat.web;

import com.llmchat.platform.boundary.SystemStatus;
import com.llmchat.providers.boundary.Models;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.Serializable;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.List;

/** The start page: what this installation is and whether its database answers. */
@Named
@ViewScoped
public class IndexView implements Serializable {

  private static final long serialVersionUID = 1L;

  @Inject SystemStatus status;
  @Inject Models models;

  private SystemStatus.Summary report;
  private String checkedAt;

  public void check() {
    report = status.summary();
    checkedAt = LocalTime.now().truncatedTo(ChronoUnit.SECONDS).toString();
  }

  private SystemStatus.Summary report() {
    if (report == null) {
      report = status.summary();
    }
    return report;
  }

  public String getInstanceId() {
    return report().instanceId();
  }

  public String getInstalledAt() {
    return report().installedAt();
  }

  /**
   * Shown only after an explicit check; the product name only, since this page is public and server
   * versions are for administrators.
   */
  public String getDatabase() {
    return checkedAt == null ? null : report().databaseProduct();
  }

  public String getCheckedAt() {
    return checkedAt;
  }

  public List<Models.Choice> getModels() {
    return models.available();
  }
}
