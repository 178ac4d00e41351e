/**
 * Where an instance hears that people signed out everywhere (from any instance, via
 * the event transport): the websocket server closes their open connections.
 */
export class SignOuts {
  private readonly listeners = new Set<(userIds: readonly string[]) => void>();

  on(listener: (userIds: readonly string[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(userIds: readonly string[]): void {
    for (const listener of this.listeners) listener(userIds);
  }
}
