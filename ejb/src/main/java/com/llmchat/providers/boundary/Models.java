package com.llmchat.providers.boundary;

import com.llmchat.providers.control.PresetModel;
import com.llmchat.providers.entity.ModelOption;
import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;

@Stateless
public class Models {

  @Inject PresetModel preset;

  public List<ModelOption> available() {
    return preset.option().map(List::of).orElse(List.of());
  }

  public Optional<ModelOption> find(String id) {
    return preset.option().filter(option -> option.id().equals(id));
  }
}
