/** Every workflow the worker runs. */
export { needToKnow } from './need-to-know';
