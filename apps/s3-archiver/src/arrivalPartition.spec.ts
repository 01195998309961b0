import { arrivalPartition } from './arrivalPartition';

describe('arrivalPartition', () => {
  it('places a record in the UTC date and hour of its arrival', () => {
    // Prepare
    const arrival = Date.UTC(2026, 10, 26, 13, 59, 59, 999) / 1000;

    // Act
    const partition = arrivalPartition(arrival);

    // Assess
    expect(partition).toEqual({ dt: '2026-11-26', hour: '13' });
  });

  it('moves a record arriving on the hour into the new hour and day', () => {
    // Prepare
    const arrival = Date.UTC(2026, 11, 31, 23, 59, 59, 999) / 1000 + 0.001;

    // Act
    const partition = arrivalPartition(arrival);

    // Assess
    expect(partition).toEqual({ dt: '2027-01-01', hour: '00' });
  });
});
