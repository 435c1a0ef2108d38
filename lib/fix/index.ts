// Public surface of the FIX parser (lib/fix). Pure except fixLogicHash, which reads the
// parser's own sources once. Client components that only need names should import
// ./fix-dictionary directly.
export { fixParser } from './fix-parser';
export { parseFixStream } from './fix-parse-stream';
export { parseFixMessage, parseFixMessages, type ParsedFixMessage, type FixParseProblem } from './parse-fix-message';
export { serializeFixMessage, type FixField, type FixDelimiterName, type SerializeOptions } from './fix-serialize';
export { tagName, enumMeaning, msgTypeName, enumValues, DICTIONARY_TAGS, DICTIONARY_ENUM_TAGS } from './fix-dictionary';
export { parseFixTimestamp, parseLocalMktDate, type FixTimestamp } from './fix-timestamp';
export { isFixDecimal, isZeroDecimal } from './fix-decimal';
export { lifecycleEvent, SESSION_MSG_TYPES, ORDER_MSG_TYPES } from './fix-lifecycle';
export { GROUP_DEFINITIONS, DATA_FIELD_LENGTH_TAGS, type GroupDefinition } from './fix-groups';
export { FIX_ERROR_CODES, FIX_DELIMITERS, MAX_MESSAGE_BYTES } from './fix-scanner';
export { fixLogicHash } from './fix-logic-hash';
export { sniffFix } from './fix-sniff';
export * from './fix-output-columns';
