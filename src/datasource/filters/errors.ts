/** A problem with what the user typed into a query: reported before any request is made. */
export class QueryInputError extends Error {
  constructor(message: string) {
    super(message);
    Object.setPrototypeOf(this, QueryInputError.prototype);
    this.name = 'QueryInputError';
  }
}
