package dev.leaderdemo.apiserver;

/**
 * A request to the API server that did not succeed: its HTTP status code and the Status message the
 * API server gave, or code 0 when no answer came (a timeout, a broken connection).
 */
public final class ApiException extends RuntimeException {

  private final int code;

  public ApiException(int code, String message) {
    super(message);
    this.code = code;
  }

  public ApiException(String message, Throwable cause) {
    super(message, cause);
    this.code = 0;
  }

  /** The HTTP status code, 0 when there was no answer. */
  public int code() {
    return code;
  }
}
