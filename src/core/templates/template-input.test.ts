import { describe, expect, it } from 'vitest';
import { catchDomainError } from '../test-helpers.js';
import { TEMPLATE_FORMATS, isTemplateFormat, validateTemplateFormat } from './template-input.js';

describe('validateTemplateFormat', () => {
  it.each(TEMPLATE_FORMATS)('accepts %s', (format) => {
    expect(validateTemplateFormat(format)).toBe(format);
    expect(isTemplateFormat(format)).toBe(true);
  });

  it.each(['yaml', 'CloudFormation', '', 3, undefined])('refuses %j with template_format_unknown', (value) => {
    const error = catchDomainError(() => validateTemplateFormat(value));
    expect(error.code).toBe('template_format_unknown');
    expect(error.field).toBe('format');
  });
});
