/** What a connection with no endpoint URL talks to: AWS, whichever region. */
export const AWS_ENDPOINTS = 'aws';

/**
 * The server a stored secret was entered for: scheme, host and port of the endpoint URL. A
 * secret signs requests for one origin only; another one must be typed in again.
 */
export function endpointOrigin(endpoint: string | undefined): string {
  if (!endpoint) return AWS_ENDPOINTS;
  try {
    return new URL(endpoint.trim()).origin;
  } catch {
    return endpoint.trim();
  }
}
