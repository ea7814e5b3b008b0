export { errorVocabulary, errorCodes, isErrorCode, type ErrorCode } from './error-codes.js';
export { CodedError, isCodedError } from './coded-error.js';
