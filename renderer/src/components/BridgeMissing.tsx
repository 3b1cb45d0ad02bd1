import { Icon } from './Icon';

/** Shown when the page runs without the preload, e.g. opened in a plain browser. */
export function BridgeMissing() {
  return (
    <main className="bridge-missing">
      <div className="bridge-missing-card" role="alert">
        <Icon name="alert" size={32} />
        <h1>Bucketdrop&apos;s bridge is not available</h1>
        <p>
          This page only works inside the Bucketdrop app, which gives it access to your files and to
          S3. Start Bucketdrop itself instead of opening this page in a browser.
        </p>
      </div>
    </main>
  );
}
