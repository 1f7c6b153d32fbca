import { Alert } from '@mantine/core';

export type FormErrorsProps = {
  messages: readonly string[];
};

/** A form's errors that belong to no field; nothing when there are none. */
export function FormErrors({ messages }: FormErrorsProps) {
  if (messages.length === 0) return null;
  return (
    <Alert color="red" role="alert">
      {messages.join(' · ')}
    </Alert>
  );
}
