import { Alert } from '@mantine/core';

export function FormErrors({ errors }: { errors: string[] }) {
  if (errors.length === 0) {
    return null;
  }
  return (
    <Alert color="red" role="alert">
      {errors.join(' · ')}
    </Alert>
  );
}
