/**
 * Stands in for Electron's main process in end-to-end tests: the real settings store, upload
 * service, engine and IPC dispatch, in a Node process of its own that a test can kill -9.
 * It talks to the test over Node's IPC channel instead of Electron's.
 */
import { createHash } from 'node:crypto';
import { EVENTS, type EventMap, type InvokeChannel } from '../../preload/contract';
import { Connections } from '../../main/credentials/connections';
import { dispatchInvoke } from '../../main/ipc/dispatch';
import type { NativeQuestion } from '../../main/ipc/confirmations';
import { appHandlers } from '../../main/ipc/handlers';
import { ProcessImageDecoder } from '../../main/imaging/imageDecoder';
import { nodeDecoderLauncher } from '../../main/imaging/nodeDecoder';
import { createAppServices } from '../../main/service/appServices';
import { ConnectionService } from '../../main/service/connectionService';
import { SettingsStore } from '../../main/service/settings';
import { fakeCipher } from '../support/fakeCipher';

export type HostRequest =
  | { type: 'invoke'; id: number; channel: InvokeChannel; payload: unknown }
  | { type: 'pick-answer'; paths: string[] | null }
  | { type: 'save-answer'; path: string | null }
  | { type: 'download-folder-answer'; folder: string | null }
  | { type: 'confirm-answer'; agreed: boolean };

export type HostMessage =
  | { type: 'ready' }
  | { type: 'result'; id: number; result: unknown }
  | { type: 'event'; channel: keyof EventMap; payload: unknown }
  | { type: 'pick'; kind: 'files' | 'folder' }
  | { type: 'save'; defaultName: string }
  | { type: 'pick-download-folder' }
  | { type: 'confirm'; question: NativeQuestion };

function send(message: HostMessage): void {
  process.send?.(message);
}

let answerPick: ((paths: string[] | null) => void) | null = null;
let answerSave: ((path: string | null) => void) | null = null;
let answerDownloadFolder: ((folder: string | null) => void) | null = null;
let answerConfirm: ((agreed: boolean) => void) | null = null;

async function main(): Promise<void> {
  const dataDir = process.env.BUCKETDROP_E2E_DATA_DIR!;
  const settings = await SettingsStore.open(dataDir);
  const connections = new ConnectionService(
    // The keychain's stand-in keeps its key per data folder, so a restarted host can decrypt.
    new Connections(dataDir, fakeCipher({ key: createHash('sha256').update(dataDir).digest() })),
    settings,
    64 + 16,
  );
  const services = await createAppServices({
    dataDir,
    settings,
    connections,
    pickPaths: (kind) =>
      new Promise((resolve) => {
        answerPick = resolve;
        send({ type: 'pick', kind });
      }),
    pickSaveFile: (defaultName) =>
      new Promise((resolve) => {
        answerSave = resolve;
        send({ type: 'save', defaultName });
      }),
    pickDownloadFolder: () =>
      new Promise((resolve) => {
        answerDownloadFolder = resolve;
        send({ type: 'pick-download-folder' });
      }),
    onProgress: (snapshot) => send({ type: 'event', channel: EVENTS.progress, payload: snapshot }),
    onNotice: (notice) => send({ type: 'event', channel: EVENTS.notice, payload: notice }),
    imageDecoder: new ProcessImageDecoder(nodeDecoderLauncher()),
  });
  const handlers = appHandlers(services, {
    dataDir,
    // Main's native question dialog, answered by the test as a user would.
    ask: (question) =>
      new Promise((resolve) => {
        answerConfirm = resolve;
        send({ type: 'confirm', question });
      }),
  });
  process.on('message', (message: HostRequest) => {
    if (message.type === 'pick-answer') {
      answerPick?.(message.paths);
      answerPick = null;
      return;
    }
    if (message.type === 'save-answer') {
      answerSave?.(message.path);
      answerSave = null;
      return;
    }
    if (message.type === 'confirm-answer') {
      answerConfirm?.(message.agreed);
      answerConfirm = null;
      return;
    }
    if (message.type === 'download-folder-answer') {
      answerDownloadFolder?.(message.folder);
      answerDownloadFolder = null;
      return;
    }
    void dispatchInvoke(handlers, true, message.channel, message.payload).then((result) =>
      send({ type: 'result', id: message.id, result }),
    );
  });
  process.on('disconnect', () => void services.shutdown().finally(() => process.exit(0)));
  send({ type: 'ready' });
}

void main();
