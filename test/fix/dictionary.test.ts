import { describe, expect, it } from 'vitest';
import {
  DATA_FIELD_LENGTH_TAGS, DICTIONARY_ENUM_TAGS, DICTIONARY_TAGS, enumMeaning, enumValues, GROUP_DEFINITIONS, msgTypeName, tagName,
} from '../../lib/fix/index';
import { CONFORMANCE_DIR, conformancePresent, loadSpec, SPEC_FILES } from './quickfix-spec';

// The workbench's own dictionary, checked against the QuickFIX data dictionaries (test data):
// every tag name, enum value, message type and repeating group it declares must exist there
// in at least one FIX version (versions rename tags and add values, so any version counts).

describe('dictionary lookups', () => {
  it('names tags, enum values and message types', () => {
    expect(tagName(11)).toBe('ClOrdID');
    expect(tagName(99999)).toBeNull();
    expect(enumMeaning(39, '2')).toBe('Filled');
    expect(enumMeaning(150, 'F')).toBe('Trade');
    expect(enumMeaning(54, 'x')).toBeNull();
    expect(enumMeaning(35, 'D')).toBe('NewOrderSingle');
    expect(msgTypeName('8')).toBe('ExecutionReport');
    expect(msgTypeName('toString')).toBeNull();
  });
});

if (!conformancePresent) {
  describe(`QuickFIX data dictionaries NOT FOUND at ${CONFORMANCE_DIR}: dictionary not compared`, () => {
    it('reports that the comparison with the QuickFIX specs did not run', () => {
      console.warn(`dictionary.test: ${CONFORMANCE_DIR} is missing; the tag dictionary was not compared with QuickFIX`);
      expect(conformancePresent).toBe(false);
    });
  });
} else {
  const specs = SPEC_FILES.map(loadSpec);

  describe('dictionary agrees with the QuickFIX data dictionaries', () => {
    it('every tag name is the name of that tag in some FIX version', () => {
      const wrong = DICTIONARY_TAGS.filter((tag) => {
        const names = specs.map((s) => s.fieldsByNumber.get(tag)?.name).filter(Boolean);
        return names.length === 0 || !names.includes(tagName(tag) as string);
      }).map((tag) => `${tag}=${tagName(tag)} (specs: ${specs.map((s) => s.fieldsByNumber.get(tag)?.name ?? '-').join('/')})`);
      expect(wrong).toEqual([]);
    });

    it('every enum value exists for its tag in some FIX version', () => {
      const wrong: string[] = [];
      for (const tag of DICTIONARY_ENUM_TAGS) {
        for (const value of Object.keys(enumValues(tag) ?? {})) {
          if (!specs.some((s) => s.fieldsByNumber.get(tag)?.enums.has(value))) wrong.push(`${tag}=${value}`);
        }
      }
      expect(wrong).toEqual([]);
    });

    it('every message type name is the name of that MsgType in some FIX version', () => {
      const wrong = Object.entries(enumValues(35) ?? {})
        .filter(([type, name]) => !specs.some((s) => s.messages.get(type) === name))
        .map(([type, name]) => `${type}=${name} (specs: ${specs.map((s) => s.messages.get(type) ?? '-').join('/')})`);
      expect(wrong).toEqual([]);
    });

    it('every repeating group starts with its delimiter and lists only members of that group in some version', () => {
      const problems: string[] = [];
      for (const g of GROUP_DEFINITIONS) {
        const countName = tagName(g.countTag) ?? specs.map((s) => s.fieldsByNumber.get(g.countTag)?.name).find(Boolean);
        const occurrences = specs.flatMap((s) => (s.groups.get(countName as string) ?? []).map((o) => ({ ...o, spec: s })));
        if (occurrences.length === 0) {
          problems.push(`${g.countTag}: no group ${countName} in any spec`);
          continue;
        }
        const firstNames = new Set(occurrences.map((o) => o.spec.numberByName.get(o.firstField)));
        if (!firstNames.has(g.delimiterTag)) problems.push(`${g.countTag}: delimiter ${g.delimiterTag} is not the first field anywhere`);
        const memberTags = new Set(occurrences.flatMap((o) => o.members.map((m) => o.spec.numberByName.get(m))));
        for (const m of g.members) if (!memberTags.has(m)) problems.push(`${g.countTag}: ${m} is not a member in any spec`);
      }
      expect(problems).toEqual([]);
    });

    it('the groups the issue names are covered (382, 453/802, 552, 78, 555, 454)', () => {
      const covered = new Set(GROUP_DEFINITIONS.map((g) => g.countTag));
      for (const t of [382, 453, 802, 552, 78, 555, 454]) expect(covered.has(t)).toBe(true);
    });

    it('data fields are announced by their length fields (LENGTH → DATA types in the specs)', () => {
      const problems: string[] = [];
      for (const [lengthTag, dataTag] of DATA_FIELD_LENGTH_TAGS) {
        const lengthTypes = specs.map((s) => s.fieldsByNumber.get(lengthTag)?.type).filter(Boolean);
        const dataTypes = specs.map((s) => s.fieldsByNumber.get(dataTag)?.type).filter(Boolean);
        if (!lengthTypes.some((t) => t === 'LENGTH' || t === 'INT')) problems.push(`${lengthTag} is not a LENGTH`);
        if (!dataTypes.includes('DATA')) problems.push(`${dataTag} is not DATA`);
      }
      expect(problems).toEqual([]);
    });
  });
}
