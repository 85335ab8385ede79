using Xunit;
using Google.Rpc;
using Grpc.Core;

namespace ProfileGrains.TestSupport;

/// <summary>Assertions on failed gRPC calls, including the google.rpc.BadRequest details of INVALID_ARGUMENT.</summary>
public static class RpcAssert
{
    /// <summary>The field violations of a google.rpc.BadRequest carried in the rich status of <paramref name="exception"/>.</summary>
    public static IReadOnlyList<BadRequest.Types.FieldViolation> FieldViolations(RpcException exception) =>
        exception.GetRpcStatus()?.GetDetail<BadRequest>()?.FieldViolations.ToList() ?? [];

    /// <summary>Runs <paramref name="call"/>, which must fail with <paramref name="code"/>.</summary>
    public static async Task<RpcException> FailsWith(StatusCode code, Func<Task> call)
    {
        var exception = await Assert.ThrowsAsync<RpcException>(call);
        Assert.True(code == exception.StatusCode, $"expected {code} but got {exception.StatusCode}: {exception.Status.Detail}");
        return exception;
    }

    /// <summary>
    /// Runs <paramref name="call"/>, which must fail with INVALID_ARGUMENT and a BadRequest that names every field of
    /// <paramref name="expectedFields"/> (by exact protobuf path). Returns all violations.
    /// </summary>
    public static async Task<IReadOnlyList<BadRequest.Types.FieldViolation>> InvalidArgument(Func<Task> call, params string[] expectedFields)
    {
        var exception = await FailsWith(StatusCode.InvalidArgument, call);
        var violations = FieldViolations(exception);
        Assert.NotEmpty(violations);
        var fields = violations.Select(v => v.Field).ToList();
        foreach (var expected in expectedFields)
        {
            Assert.True(fields.Contains(expected), $"expected a violation on '{expected}' but got [{string.Join(", ", fields)}] ({exception.Status.Detail})");
        }

        Assert.All(violations, v => Assert.False(string.IsNullOrWhiteSpace(v.Description), $"violation on '{v.Field}' has no description"));
        return violations;
    }

    /// <summary>Like <see cref="InvalidArgument"/>, and every violation must be on <paramref name="field"/> or below it.</summary>
    public static async Task<IReadOnlyList<BadRequest.Types.FieldViolation>> InvalidArgumentOnlyOn(Func<Task> call, string field)
    {
        var violations = await InvalidArgument(call, field);
        Assert.All(violations, v => Assert.True(
            v.Field == field || v.Field.StartsWith(field + ".", StringComparison.Ordinal) || v.Field.StartsWith(field + "[", StringComparison.Ordinal),
            $"unexpected violation on '{v.Field}' ({v.Description}); expected only '{field}'"));
        return violations;
    }

    public static Task<RpcException> NotFound(Func<Task> call) => FailsWith(StatusCode.NotFound, call);
}
