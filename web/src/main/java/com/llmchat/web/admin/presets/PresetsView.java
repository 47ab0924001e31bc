package com.llmchat.web.admin.presets;

import com.llmchat.accounts.boundary.Groups;
import com.llmchat.accounts.entity.Group;
import com.llmchat.edge.ClientAddresses;
import com.llmchat.presets.boundary.PresetException;
import com.llmchat.presets.boundary.Presets;
import com.llmchat.presets.entity.Preset;
import com.llmchat.presets.entity.PresetSettings;
import com.llmchat.providers.boundary.Models;
import com.llmchat.providers.boundary.ProviderException;
import com.llmchat.web.Messages;
import jakarta.faces.context.FacesContext;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.servlet.http.HttpServletRequest;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * admin/presets.xhtml: shared presets published to everybody or to chosen groups, edited and
 * withdrawn; the form is for a new one until a row's Edit fills it.
 */
@Named("adminPresetsView")
@ViewScoped
public class PresetsView implements Serializable {

  private static final long serialVersionUID = 1L;

  @Inject Presets presets;
  @Inject Groups groups;
  @Inject Models models;
  @Inject Messages messages;

  private Long editing;
  private String name;
  private String description;
  private String model;
  private String systemPrompt;
  private Double temperature;
  private Integer maxTokens;
  private String greeting;
  private String suggestions;
  private boolean everyone = true;
  private List<Long> groupIds = new ArrayList<>();

  private transient List<Preset> shown;
  private transient FacesContext shownIn;

  /** Read once per request (the table asks often). */
  public List<Preset> getPresets() {
    FacesContext request = FacesContext.getCurrentInstance();
    if (shown == null || shownIn != request) {
      shown = presets.shared();
      shownIn = request;
    }
    return shown;
  }

  public List<Group> getGroups() {
    return groups.list().stream().map(Groups.Summary::group).toList();
  }

  /** The chat models the administrator may pick, by alias. */
  public List<String> getModels() {
    List<String> aliases =
        new ArrayList<>(
            models.available().stream()
                .filter(Models.Choice::chat)
                .map(Models.Choice::alias)
                .toList());
    // the edited preset's own, also when the administrator may not pick it
    if (model != null && !aliases.contains(model)) {
      aliases.add(0, model);
    }
    return aliases;
  }

  /** Who a preset is offered to, as the table shows it. */
  public String offeredTo(Preset preset) {
    if (preset.everyone()) {
      return messages.text("admin.presets.everyone");
    }
    Map<Long, String> names =
        getGroups().stream().collect(Collectors.toMap(Group::id, Group::name, (a, b) -> a));
    return preset.groups().stream()
        .map(id -> names.getOrDefault(id, "#" + id))
        .sorted()
        .collect(Collectors.joining(", "));
  }

  public void edit(Preset preset) {
    editing = preset.id();
    name = preset.name();
    description = preset.description();
    model = preset.model();
    systemPrompt = preset.systemPrompt();
    temperature = preset.temperature();
    maxTokens = preset.maxTokens();
    greeting = preset.greeting();
    suggestions = String.join("\n", preset.suggestions());
    everyone = preset.everyone();
    groupIds = new ArrayList<>(preset.groups());
  }

  public void cancel() {
    editing = null;
    name = null;
    description = null;
    model = null;
    systemPrompt = null;
    temperature = null;
    maxTokens = null;
    greeting = null;
    suggestions = null;
    everyone = true;
    groupIds = new ArrayList<>();
  }

  public void save() {
    act(
        () -> {
          var settings =
              new PresetSettings(
                  name,
                  description,
                  model,
                  systemPrompt,
                  temperature,
                  maxTokens,
                  greeting,
                  suggestions == null
                      ? List.of()
                      : Arrays.stream(suggestions.split("\\R"))
                          .map(String::strip)
                          .filter(line -> !line.isEmpty())
                          .toList());
          var sharing = new Presets.Sharing(everyone, new HashSet<>(groupIds));
          if (editing == null) {
            presets.publish(settings, sharing, clientIp());
          } else {
            presets.update(editing, settings, sharing, clientIp());
          }
          messages.info("admin.presets.saved", settings.name());
          cancel();
        });
  }

  public void delete(Preset preset) {
    act(
        () -> {
          presets.delete(preset.id(), clientIp());
          if (preset.id().equals(editing)) {
            cancel();
          }
        });
  }

  private void act(Runnable action) {
    try {
      action.run();
      shown = null;
    } catch (PresetException e) {
      messages.refused("admin.presets", e.reason(), e.getMessage());
    } catch (ProviderException e) {
      messages.error("admin.presets.unknown-model", model);
    } catch (IllegalArgumentException e) {
      messages.error("admin.presets.invalid", e.getMessage());
    }
  }

  private static String clientIp() {
    return ClientAddresses.of(
        (HttpServletRequest) FacesContext.getCurrentInstance().getExternalContext().getRequest());
  }

  public Long getEditing() {
    return editing;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getDescription() {
    return description;
  }

  public void setDescription(String description) {
    this.description = description;
  }

  public String getModel() {
    return model;
  }

  public void setModel(String model) {
    this.model = model;
  }

  public String getSystemPrompt() {
    return systemPrompt;
  }

  public void setSystemPrompt(String systemPrompt) {
    this.systemPrompt = systemPrompt;
  }

  public Double getTemperature() {
    return temperature;
  }

  public void setTemperature(Double temperature) {
    this.temperature = temperature;
  }

  public Integer getMaxTokens() {
    return maxTokens;
  }

  public void setMaxTokens(Integer maxTokens) {
    this.maxTokens = maxTokens;
  }

  public String getGreeting() {
    return greeting;
  }

  public void setGreeting(String greeting) {
    this.greeting = greeting;
  }

  public String getSuggestions() {
    return suggestions;
  }

  public void setSuggestions(String suggestions) {
    this.suggestions = suggestions;
  }

  public boolean isEveryone() {
    return everyone;
  }

  public void setEveryone(boolean everyone) {
    this.everyone = everyone;
  }

  public List<Long> getGroupIds() {
    return groupIds;
  }

  public void setGroupIds(List<Long> groupIds) {
    this.groupIds = groupIds;
  }
}
