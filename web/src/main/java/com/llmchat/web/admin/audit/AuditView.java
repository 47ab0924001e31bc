package com.llmchat.web.admin.audit;

import com.llmchat.audit.boundary.AuditLog;
import com.llmchat.audit.entity.AuditEvent;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.Serializable;
import java.util.List;
import java.util.Map;
import org.primefaces.model.FilterMeta;
import org.primefaces.model.LazyDataModel;
import org.primefaces.model.SortMeta;

/** admin/audit.xhtml: the audit log, newest first, filtered by action. */
@Named
@ViewScoped
public class AuditView implements Serializable {

  private static final long serialVersionUID = 1L;

  @Inject AuditLog audit;

  private String action;

  private final LazyDataModel<AuditEvent> events =
      new LazyDataModel<>() {
        private static final long serialVersionUID = 1L;

        @Override
        public int count(Map<String, FilterMeta> filterBy) {
          return (int) audit.page(action, 0, 1).total();
        }

        @Override
        public List<AuditEvent> load(
            int first,
            int pageSize,
            Map<String, SortMeta> sortBy,
            Map<String, FilterMeta> filterBy) {
          var page = audit.page(action, first, pageSize);
          setRowCount((int) page.total());
          return page.items();
        }

        @Override
        public String getRowKey(AuditEvent event) {
          return String.valueOf(event.id());
        }
      };

  public LazyDataModel<AuditEvent> getEvents() {
    return events;
  }

  public String getAction() {
    return action;
  }

  public void setAction(String action) {
    this.action = action;
  }
}
