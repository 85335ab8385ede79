using System.Buffers;
using System.Text.Unicode;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.AspNetCore.Server.Model;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ProfileGrains.Host.Grpc;

/// <summary>
/// Requests whose bytes are not a valid message (truncated or garbled protobuf, text that is not UTF-8, which includes
/// lone surrogates) are refused with INVALID_ARGUMENT naming the field where it can be found. grpc-dotnet deserializes
/// before any interceptor runs and reports such failures as UNKNOWN, so the check sits in the request marshaller.
/// </summary>
public static class MalformedRequests
{
    private const int MaxDepth = 32;

    /// <summary>
    /// Replaces grpc-dotnet's binder for every service. Call after every AddGrpc* registration: each of them adds the
    /// default binder again. Other providers (JSON transcoding) stay.
    /// </summary>
    public static IServiceCollection RefuseMalformedRequests(this IServiceCollection services)
    {
        var defaults = services.Where(d => d.ServiceType == typeof(IServiceMethodProvider<>) && d.ImplementationType?.Name == "BinderServiceMethodProvider`1").ToList();
        if (defaults.Count == 0)
        {
            throw new InvalidOperationException("grpc-dotnet's default service binder was not found: register the gRPC services first");
        }

        defaults.ForEach(d => services.Remove(d));
        services.TryAddEnumerable(Microsoft.Extensions.DependencyInjection.ServiceDescriptor.Singleton(typeof(IServiceMethodProvider<>), typeof(RefusingMalformedServiceMethodProvider<>)));
        return services;
    }

    /// <summary>The same marshaller, whose deserializer turns a parse failure into INVALID_ARGUMENT.</summary>
    public static Marshaller<T> Refusing<T>(Marshaller<T> marshaller, MessageDescriptor? descriptor) =>
        new(marshaller.ContextualSerializer, context =>
        {
            try
            {
                return marshaller.ContextualDeserializer(context);
            }
            catch (Exception e) when (e is InvalidProtocolBufferException or ArgumentException)
            {
                var (field, reason) = descriptor is null ? (string.Empty, "is not a valid protobuf message") : Locate(descriptor, context.PayloadAsReadOnlySequence());
                throw GrpcErrors.InvalidArgument(field, reason);
            }
        });

    /// <summary>The path of the first field that breaks the message, and why; an empty path when the break is in the framing.</summary>
    public static (string Field, string Reason) Locate(MessageDescriptor descriptor, ReadOnlySequence<byte> payload)
    {
        try
        {
            return Scan(descriptor, new CodedInputStream(payload.ToArray()), string.Empty, 0) ?? (string.Empty, "is not a valid protobuf message");
        }
        catch (InvalidProtocolBufferException)
        {
            return (string.Empty, "is not a valid protobuf message (truncated or malformed)");
        }
    }

    private static (string Field, string Reason)? Scan(MessageDescriptor descriptor, CodedInputStream input, string prefix, int depth)
    {
        if (depth > MaxDepth)
        {
            return (prefix, "is nested too deeply");
        }

        var occurrences = new Dictionary<int, int>();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            var number = WireFormat.GetTagFieldNumber(tag);
            var field = descriptor.FindFieldByNumber(number);
            if (field is null || WireFormat.GetTagWireType(tag) != WireFormat.WireType.LengthDelimited)
            {
                input.SkipLastField();
                continue;
            }

            var index = occurrences[number] = occurrences.GetValueOrDefault(number) + 1;
            var path = Path(prefix, field, index - 1);
            var bytes = input.ReadBytes();
            switch (field.FieldType)
            {
                case FieldType.String when !Utf8.IsValid(bytes.Span):
                    return (path, "is not valid UTF-8 text (invalid bytes or a lone surrogate)");
                case FieldType.Message or FieldType.Group:
                    try
                    {
                        if (Scan(field.MessageType, new CodedInputStream(bytes.ToByteArray()), path, depth + 1) is { } inner)
                        {
                            return inner;
                        }
                    }
                    catch (InvalidProtocolBufferException)
                    {
                        return (path, "is not a valid protobuf message (truncated or malformed)");
                    }

                    break;
            }
        }

        return null;
    }

    private static string Path(string prefix, FieldDescriptor field, int index)
    {
        var name = field.IsRepeated && !field.IsMap ? $"{field.Name}[{index}]" : field.Name;
        return prefix.Length == 0 ? name : $"{prefix}.{name}";
    }
}
