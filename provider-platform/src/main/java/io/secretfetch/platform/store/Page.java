package io.secretfetch.platform.store;

import java.util.List;

/**
 * One page of results.
 *
 * @param items the results on this page
 * @param nextPageToken pass to {@link SecretQuery#pageToken(String)} for the next page; null on
 *     the last page
 */
public record Page<T>(List<T> items, String nextPageToken) {
  public Page {
    items = List.copyOf(items);
  }

  public boolean hasNext() {
    return nextPageToken != null;
  }
}
