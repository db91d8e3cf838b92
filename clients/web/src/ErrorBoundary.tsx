import { Component, type ReactNode } from "react";

// No blank screens: whatever a screen throws, the person sees a plain message and a way back.
export class ErrorBoundary extends Component<{ children: ReactNode }, { failed: boolean }> {
  state = { failed: false };

  static getDerivedStateFromError(): { failed: boolean } {
    return { failed: true };
  }

  render(): ReactNode {
    if (this.state.failed) {
      return (
        <main className="page">
          <h1>Something went wrong</h1>
          <p role="alert">This screen could not be shown. Please go back to the start.</p>
          <a href="/app/">Back to the start</a>
        </main>
      );
    }
    return this.props.children;
  }
}
