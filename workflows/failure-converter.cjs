/* global require, exports */
/**
 * The failure converter of every worker and workflow bundle: a failure's message and stack trace
 * move into its encoded attributes, so the payload codec encrypts them with everything else (an
 * activity's error can quote what it was sending). Plain CommonJS because the SDK `require`s it by
 * path outside any TypeScript loader, and bundles it into the workflow sandbox.
 */
'use strict';

// eslint-disable-next-line @typescript-eslint/no-require-imports -- CommonJS, loaded by path
const { DefaultFailureConverter } = require('@temporalio/common');

exports.failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
