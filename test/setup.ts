import { DefaultLogger, Runtime } from '@temporalio/worker';

// Keep test output readable: the SDK's own INFO lines drown the assertions.
Runtime.install({ logger: new DefaultLogger('WARN') });
