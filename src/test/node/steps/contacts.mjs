// Contacts: create (normalised to E.164, one per number), read, list, search, update, delete,
// and the capability check.
import assert from 'node:assert/strict';
import * as shape from '../harness/shapes.mjs';
import { expectStatus, rejection } from '../harness/checks.mjs';
import { expectValidationError } from './agents.mjs';

export async function crud({ client, check, state }) {
  await check('contacts.createContact', async () => {
    const ada = shape.conforms(await client.contacts.createContact({
      phoneNumber: '(212) 555-0123', name: 'Ada Lovelace', email: 'ada@example.com', notes: 'prefers texts',
    }), shape.ContactResponse);
    state.ada = ada;
    assert.equal(ada.phoneNumber, '+12125550123', 'stored in E.164');
    assert.equal(ada.name, 'Ada Lovelace');
    assert.equal(ada.email, 'ada@example.com');
    assert.equal(ada.notes, 'prefers texts');
    state.grace = await client.contacts.createContact({ phoneNumber: '+14155550177', name: 'Grace Hopper' });
    assert.equal(state.grace.email ?? null, null);
  });

  await check('contacts.createContact[409 same number]', async () => {
    const error = await rejection(() => client.contacts.createContact({ phoneNumber: '+1 212 555 0123', name: 'Ada again' }),
      'a second contact with the same number');
    expectStatus(error, 409, 'a second contact with the same number');
  });

  await check('contacts.createContact[422 no name]', async () => {
    const error = await rejection(() => client.contacts.createContact({ phoneNumber: '+14155550178' }), 'a contact without name');
    expectValidationError(error, 'name');
  });

  await check('contacts.getContact', async () => {
    const read = shape.conforms(await client.contacts.getContact({ contact_id: state.ada.id }), shape.ContactResponse);
    assert.deepEqual(read, state.ada);
  });

  await check('contacts.listContacts', async () => {
    const list = shape.conforms(await client.contacts.listContacts({ limit: 1, offset: 0 }), shape.ContactListResponse);
    assert.equal(list.total, 2);
    assert.equal(list.data.length, 1);
    assert.equal(list.hasMore, true);
    const all = await client.contacts.listContacts({ limit: 50 });
    assert.deepEqual(all.data.map((c) => c.id).sort(), [state.ada.id, state.grace.id].sort());
  });

  // The client has no "search" field on listContacts; requestOptions.queryParams is how its
  // users send one.
  await check('contacts.listContacts[search]', async () => {
    const found = await client.contacts.listContacts({}, { queryParams: { search: 'ADA' } });
    assert.deepEqual(found.data.map((c) => c.id), [state.ada.id], 'name matches in any case');
    const byNumber = await client.contacts.listContacts({}, { queryParams: { search: '0177' } });
    assert.deepEqual(byNumber.data.map((c) => c.id), [state.grace.id], 'number matches too');
  });

  await check('contacts.updateContact', async () => {
    const updated = shape.conforms(await client.contacts.updateContact({ contact_id: state.ada.id, notes: 'call after 5pm' }),
      shape.ContactResponse);
    assert.equal(updated.notes, 'call after 5pm');
    assert.equal(updated.name, 'Ada Lovelace', 'fields not sent stay');
    assert.ok(Date.parse(updated.updatedAt) >= Date.parse(updated.createdAt));
    assert.equal((await client.contacts.getContact({ contact_id: state.ada.id })).notes, 'call after 5pm');
  });

  await check('contacts.deleteContact', async () => {
    const answer = await client.contacts.deleteContact({ contact_id: state.grace.id });
    assert.equal(answer, undefined, 'a 204 resolves to undefined');
    expectStatus(await rejection(() => client.contacts.getContact({ contact_id: state.grace.id }), 'a deleted contact'),
      404, 'a deleted contact');
    assert.equal((await client.contacts.listContacts()).total, 1);
  });

  await check('contacts.getContactCapabilities', async () => {
    const answer = shape.conforms(await client.contacts.getContactCapabilities({ phone_number: '+12125550123' }),
      shape.ContactCapabilitiesResponse);
    assert.equal(answer.phoneNumber, '+12125550123');
    assert.equal(answer.capabilities.sms, true, 'every US mobile number takes SMS');
    assert.ok(!Number.isNaN(Date.parse(answer.checkedAt)), `checkedAt is a date-time: ${answer.checkedAt}`);
  });

  // the sandbox's documented rule, with the iMessage line bought earlier: a fictional 555-01xx
  // number is on iMessage when its last digit is even
  await check('contacts.getContactCapabilities[sandbox rule]', async () => {
    const even = await client.contacts.getContactCapabilities({ phone_number: '+12125550124' });
    const odd = await client.contacts.getContactCapabilities({ phone_number: '(212) 555-0123' });
    assert.deepEqual([even.capabilities.imessage, odd.capabilities.imessage], [true, false]);
    assert.equal(odd.phoneNumber, '+12125550123', 'answered in E.164');
  });

  await check('contacts.getContactCapabilities[422 invalid]', async () => {
    const error = await rejection(() => client.contacts.getContactCapabilities({ phone_number: 'not a number' }),
      'capabilities of an invalid number');
    expectValidationError(error, 'phone_number');
  });
}
