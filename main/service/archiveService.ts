import type {
  LifecycleAdditions,
  LifecycleOverview,
  LifecyclePreview,
  RestoreRequest,
  RestoreStatus,
} from '../../preload/contract';
import { RestoreError, requestRestore } from '../archive/restoreRequest';
import {
  applyLifecycle,
  LifecycleError,
  lifecycleOverview,
  previewLifecycle,
} from '../lifecycle/rules';
import type { SettingsStore } from './settings';
import { type ClientProvider, UserFacingError } from './uploadService';

/** Restores of archived objects and the buckets' lifecycle rules, for the active connection. */
export class ArchiveService {
  constructor(
    private readonly settings: SettingsStore,
    private readonly clients: ClientProvider,
  ) {}

  requestRestore(request: RestoreRequest): Promise<RestoreStatus> {
    return this.withClient(request.bucket, (client) => requestRestore(client, request));
  }

  lifecycleOverview(request: { bucket: string }): Promise<LifecycleOverview> {
    return this.withClient(request.bucket, (client) => lifecycleOverview(client, request.bucket));
  }

  previewLifecycle(request: {
    bucket: string;
    additions: LifecycleAdditions;
  }): Promise<LifecyclePreview> {
    return this.withClient(request.bucket, (client) =>
      previewLifecycle(client, request.bucket, request.additions),
    );
  }

  applyLifecycle(request: {
    bucket: string;
    additions: LifecycleAdditions;
  }): Promise<LifecyclePreview> {
    return this.withClient(request.bucket, (client) =>
      applyLifecycle(client, request.bucket, request.additions),
    );
  }

  private async withClient<T>(
    bucket: string,
    run: (client: Awaited<ReturnType<ClientProvider['clientFor']>>) => Promise<T>,
  ): Promise<T> {
    const connectionId = this.settings.get().activeConnectionId ?? undefined;
    const client = await this.clients.clientFor(connectionId, bucket);
    try {
      return await run(client);
    } catch (error) {
      if (error instanceof RestoreError || error instanceof LifecycleError) {
        throw new UserFacingError(error.message);
      }
      throw error;
    }
  }
}
