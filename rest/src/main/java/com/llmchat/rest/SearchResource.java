package com.llmchat.rest;

import com.llmchat.conversations.boundary.HistorySearch;
import com.llmchat.conversations.control.SearchWords;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.OffsetDateTime;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Search in the caller's own conversations: titles and message text with every word of {@code q}
 * (any case; Chinese and Japanese without spaces too), newest first. Snippets are plain text; the
 * {@code highlights} are [start, end) offsets of the words in them, for the client to mark.
 */
@RequestScoped
@Tag(name = "Conversations")
@Path("v1/search")
@RolesAllowed({Roles.USER, Roles.ADMIN})
@Produces(MediaType.APPLICATION_JSON)
public class SearchResource {

  public record TitleView(long conversationId, String title, List<int[]> highlights) {}

  public record HitView(
      long conversationId,
      String conversationTitle,
      long messageId,
      int position,
      String role,
      String snippet,
      List<int[]> highlights,
      boolean cutBefore,
      boolean cutAfter,
      OffsetDateTime createdAt) {}

  /** {@code next}: pass it as {@code before} for older messages; null when there are none. */
  public record SearchView(List<TitleView> conversations, List<HitView> messages, Long next) {}

  @Inject HistorySearch search;

  @GET
  public SearchView search(
      @QueryParam("q") @NotBlank @Size(max = SearchWords.MAX_QUERY) String query,
      @QueryParam("before") Long before,
      @QueryParam("limit") @DefaultValue("20") @Min(1) @Max(HistorySearch.MAX_LIMIT) int limit) {
    var results = search.search(query, before, limit);
    return new SearchView(
        results.conversations().stream()
            .map(hit -> new TitleView(hit.conversationId(), hit.title(), hit.highlights()))
            .toList(),
        results.messages().stream()
            .map(
                hit ->
                    new HitView(
                        hit.conversationId(),
                        hit.conversationTitle(),
                        hit.messageId(),
                        hit.position(),
                        hit.role(),
                        hit.snippet().text(),
                        hit.snippet().highlights(),
                        hit.snippet().cutBefore(),
                        hit.snippet().cutAfter(),
                        hit.createdAt()))
            .toList(),
        results.next());
  }
}
